import type { InstanceInfo } from "./instance.types.ts";

let timezones: string[] | null = null;

/** Counts the statistics query reports (Mobilizon's `Statistics`), each given by the module that owns what it counts. */
export type StatisticsCounts = {
  numberOfUsers: number;
  numberOfEvents: number;
  numberOfLocalEvents: number;
  numberOfComments: number;
  numberOfLocalComments: number;
  numberOfGroups: number;
  numberOfLocalGroups: number;
  numberOfInstanceFollowers: number;
  numberOfInstanceFollowings: number;
};

/** How long statistics are kept between counts (they are for an "about" page; counting big tables is not free). */
const STATISTICS_TTL_MS = 5 * 60_000;

/** ISO 639-1 codes: the languages content may be written in, named for the reader by Intl (languages query). */
const LANGUAGE_CODES =
  "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split(
    " ",
  );

/** What the instance tells about itself (config query, NodeInfo later, the about page). */
export class InstanceService {
  private readonly info: InstanceInfo;
  private counters: (() => Promise<Partial<StatisticsCounts>>)[] = [];
  private statisticsCache: { at: number; value: Promise<StatisticsCounts> } | null = null;
  constructor(info: InstanceInfo) {
    this.info = info;
  }

  /** Lets a module report its counts (composition root: users, events, comments; groups and federation later). */
  addCounter(counter: () => Promise<Partial<StatisticsCounts>>): void {
    this.counters.push(counter);
  }

  /** The instance's statistics (statistics): what was never counted is 0; recounted at most every few minutes. */
  statistics(now = Date.now()): Promise<StatisticsCounts> {
    if (this.statisticsCache && now - this.statisticsCache.at < STATISTICS_TTL_MS) return this.statisticsCache.value;
    const value = Promise.all(this.counters.map((c) => c())).then((parts) =>
      Object.assign(
        { numberOfUsers: 0, numberOfEvents: 0, numberOfLocalEvents: 0, numberOfComments: 0, numberOfLocalComments: 0, numberOfGroups: 0, numberOfLocalGroups: 0, numberOfInstanceFollowers: 0, numberOfInstanceFollowings: 0 },
        ...parts,
      ),
    );
    this.statisticsCache = { at: now, value };
    value.catch(() => (this.statisticsCache = null));
    return value;
  }

  /** Languages by ISO 639-1 code with their names in `locale` (languages); `codes` keeps only those. */
  languages(locale: string, codes?: readonly string[] | null): { code: string; name: string }[] {
    let names: Intl.DisplayNames;
    try {
      names = new Intl.DisplayNames([locale, "en"], { type: "language" });
    } catch {
      names = new Intl.DisplayNames(["en"], { type: "language" });
    }
    const wanted = codes ? LANGUAGE_CODES.filter((c) => codes.includes(c)) : LANGUAGE_CODES;
    return wanted.map((code) => ({ code, name: names.of(code) ?? code }));
  }

  /** The public facts about this instance. */
  get(): InstanceInfo {
    return this.info;
  }

  /** Every IANA timezone this runtime knows. */
  timezones(): string[] {
    timezones ??= Intl.supportedValuesOf("timeZone");
    return timezones;
  }
}
