// Preloaded into the Prisma CLI: `migrate deploy` leaves a long timer behind that keeps the
// process alive ~10 s after it has finished. Long timers never hold the process open here.
const originalSetTimeout = global.setTimeout;
global.setTimeout = function (fn, ms, ...rest) {
  const timer = originalSetTimeout(fn, ms, ...rest);
  if (typeof ms === "number" && ms >= 1000 && timer && typeof timer.unref === "function") timer.unref();
  return timer;
};
