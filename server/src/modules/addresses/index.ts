/** Places: postal addresses and coordinates (events now, groups later). */
export { addresses } from "./address.service.ts";
export { checkAddress, checkTimezone, formatAddress, parsePoint, type Address, type AddressArg, type AddressInput } from "./address.types.ts";
