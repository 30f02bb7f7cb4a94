/* The Yjs modules live with the live drafts (application/yjs.ts); this path stays for the tests' drafting clients. */
export * from '../application/yjs';
