export * from './message-text';
export * from './chat.policy';
export * from './shuttle';
export { conveyedAudience, conveyedTo, maySeeConveyed, shuttleAudience, type ShuttleReach } from './audience.policy';
export * from './shuttle-audit';
