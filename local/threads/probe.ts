// Imported by boot.mjs to learn whether this thread already loads TypeScript.
export const loaded: boolean = true;
