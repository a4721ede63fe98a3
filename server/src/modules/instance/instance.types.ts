/** The 30 built-in event categories of Mobilizon, with English labels (the web app translates them). */
export const EVENT_CATEGORIES: readonly { id: string; label: string }[] = [
  ["ARTS", "Arts"], ["BOOK_CLUBS", "Book clubs"], ["BUSINESS", "Business"], ["CAUSES", "Causes"], ["COMEDY", "Comedy"],
  ["CRAFTS", "Crafts"], ["FOOD_DRINK", "Food & Drink"], ["HEALTH", "Health"], ["MUSIC", "Music"],
  ["AUTO_BOAT_AIR", "Auto, boat and air"], ["COMMUNITY", "Community"], ["FAMILY_EDUCATION", "Family & Education"],
  ["FASHION_BEAUTY", "Fashion & Beauty"], ["FILM_MEDIA", "Film & Media"], ["GAMES", "Games"],
  ["LANGUAGE_CULTURE", "Language & Culture"], ["LEARNING", "Learning"], ["LGBTQ", "LGBTQ"],
  ["MOVEMENTS_POLITICS", "Movements and politics"], ["NETWORKING", "Networking"], ["PARTY", "Party"],
  ["PERFORMING_VISUAL_ARTS", "Performing & Visual Arts"], ["PETS", "Pets"], ["PHOTOGRAPHY", "Photography"],
  ["OUTDOORS_ADVENTURE", "Outdoors & Adventure"], ["SPIRITUALITY_RELIGION_BELIEFS", "Spirituality, Religion & Beliefs"],
  ["SCIENCE_TECH", "Science & Tech"], ["SPORTS", "Sports"], ["THEATRE", "Theatre"], ["MEETING", "Meeting"],
].map(([id, label]) => ({ id, label }));

export type InstanceInfo = {
  name: string;
  description: string;
  baseUrl: string;
  version: string;
  registrationsOpen: boolean;
  registrationsAllowlist: boolean;
  languages: string[];
  uploadLimits: { default: number; avatar: number; banner: number };
};
