// Monaco runs its language services in web workers. We bundle each worker ourselves
// (no CDN), next to app.js, and tell Monaco where they are by label.
const WORKER_FILES: Record<string, string> = {
  json: "json.worker.js",
  graphql: "graphql.worker.js",
};

export function setupMonacoWorkers(assetsUrl: string): void {
  (globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
    getWorker(_workerId: string, label: string) {
      return new Worker(`${assetsUrl}${WORKER_FILES[label] ?? "editor.worker.js"}`);
    },
  };
}
