/** Credentials and region the local stack uses; the emulators accept any. */
export const localRegion = 'us-east-1';
export const localCredentials = { accessKeyId: 'closeloop', secretAccessKey: 'closeloop' };
