import { ASSETS_PATH } from "./config";

/** The HTML shell; the app renders into #root once its config has loaded. */
export function renderPage(hash: string): string {
  const assets = `${ASSETS_PATH}${hash}/`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Payrail playground</title>
<link rel="stylesheet" href="${assets}app.css">
<script type="module" src="${assets}app.js"></script>
</head>
<body>
<div id="root"></div>
</body>
</html>
`;
}
