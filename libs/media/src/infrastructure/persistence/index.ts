export { MediaRoomSettingsEntity, MEDIA_ENTITIES } from './media-room-settings.entity';
