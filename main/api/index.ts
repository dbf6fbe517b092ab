// main/api: the typed contract between the agent and its clients (CLI, GUI). Schemas and clients only:
// no Node built-ins, so the same code runs in the agent, the CLI and a browser.

export * from './names.js';
export * from './json-path.js';
export * from './api-error.js';
export * from './policy-schemas.js';
export * from './shared-policy-schemas.js';
export * from './folder-schemas.js';
export * from './event-schemas.js';
export * from './policy-consistency.js';
export * from './policy-document.js';
export * from './policy-verify-key.js';
export * from './canonical-json.js';
export * from './stream-schemas.js';
export * from './quarantine-schemas.js';
export * from './scan-schemas.js';
export * from './folder-files-schemas.js';
export * from './pause-schemas.js';
export * from './operations.js';
export * from './http-client.js';
export * from './event-stream-client.js';
