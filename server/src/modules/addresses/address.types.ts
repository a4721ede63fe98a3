/** A place: a postal address, coordinates, or both (an event's, later a group's). */
export type Address = {
  id: number;
  description: string | null;
  street: string | null;
  locality: string | null;
  postalCode: string | null;
  region: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  type: string | null;
  url: string | null;
  originId: string | null;
  timezone: string | null;
};

export type AddressInput = Omit<Address, "id">;

/** One line for people ("Town hall, 1 place de la Mairie, 69001 Lyon, France"), without repeats. */
export function formatAddress(a: Pick<Address, "description" | "street" | "postalCode" | "locality" | "region" | "country">): string {
  const place = [a.postalCode, a.locality].filter(Boolean).join(" ");
  return [a.description, a.street, place, a.country].filter((x, i, all) => x && all.indexOf(x) === i).join(", ");
}
