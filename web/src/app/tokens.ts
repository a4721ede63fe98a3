// Session tokens live in localStorage so that a reload keeps the session, as in Mobilizon's client.
const ACCESS = "convene.access";
const REFRESH = "convene.refresh";

const read = (k: string) => {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
};

export const tokens = {
  access: read(ACCESS),
  refresh: read(REFRESH),
  set(access: string, refresh: string) {
    this.access = access;
    this.refresh = refresh;
    localStorage.setItem(ACCESS, access);
    localStorage.setItem(REFRESH, refresh);
  },
  clear() {
    this.access = null;
    this.refresh = null;
    localStorage.removeItem(ACCESS);
    localStorage.removeItem(REFRESH);
  },
};
