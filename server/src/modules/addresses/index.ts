/** Places: postal addresses and coordinates (events now, groups later). */
export { addresses } from "./address.service.ts";
export { formatAddress, type Address, type AddressInput } from "./address.types.ts";
