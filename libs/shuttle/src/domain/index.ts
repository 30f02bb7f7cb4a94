export * from './message-text';
export * from './chat.policy';
export * from './shuttle';
export * from './shuttle-audit';
