import { RoomEventEntity, RoomStreamEntity } from './room-event.entity';
import { ShuttleMessageEntity } from './shuttle-message.entity';

export { RoomEventEntity, RoomStreamEntity, ShuttleMessageEntity };
export const SHUTTLE_ENTITIES = [RoomStreamEntity, RoomEventEntity, ShuttleMessageEntity];
