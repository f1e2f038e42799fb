// Open-now badge: weekly spans (minutes from Monday 00:00) against the town's clock.
(function () {
  var b = document.querySelector("[data-open]"), p = {};
  try {
    new Intl.DateTimeFormat("en-US", {timeZone: b.dataset.tz, weekday: "short",
      hour: "numeric", minute: "numeric", hourCycle: "h23"})
      .formatToParts(new Date()).forEach(function (x) { p[x.type] = x.value; });
    var d = "MonTueWedThuFriSatSun".indexOf(p.weekday) / 3,
      now = d * 1440 + p.hour % 24 * 60 + +p.minute,
      open = b.dataset.open.split(" ").some(function (s) {
        s = s.split("-");
        return s[0] <= now && now < +s[1];
      });
    if (d % 1 || d < 0) return;
    b.textContent = open ? b.dataset.openText : b.dataset.closedText;
    b.className += open ? " is-open" : " is-closed";
    b.hidden = false;
  } catch (e) {}
})();
