export { unicodeStringToInteger, parseNetworkAddress, NDIS_MAX_PHYS_ADDRESS_LENGTH } from './conversions.js';
