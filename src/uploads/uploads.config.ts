import type { UploadsConfig } from '../config/app-config';

export type { UploadsConfig };

/** The uploads settings (AppConfig.uploads), provided by UploadsModule from the validated configuration. */
export const UPLOADS_CONFIG = Symbol('UPLOADS_CONFIG');
