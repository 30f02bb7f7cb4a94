// What the consultation context offers: its Nest module and its tables (the schema is one: the API registers every context's entities).
export { ConsultationModule } from './infrastructure/consultation.module';
export { CONSULTATION_ENTITIES } from './infrastructure/persistence/consultation.entities';
