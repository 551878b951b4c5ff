// Time on a lesson page: counts only the time the page is visible and reports it with
// navigator.sendBeacon when the page is hidden or left. The lesson page includes it as
//
//   <script type="module" id="lms-time-on-page" src=".../time-on-page.js"
//           data-url="/learn/lessons/<id>/time/" data-csrf-token="..."></script>
//
// (the data- attributes may be on any element with id "lms-time-on-page"). Without them,
// or without sendBeacon, it does nothing. The server caps each report at 30 minutes, so a
// tab left open does not count for hours; this script applies the same cap.

const MAX_SECONDS_PER_REPORT = 30 * 60;

const element = document.getElementById("lms-time-on-page");
const url = element?.dataset.url;
const csrfToken = element?.dataset.csrfToken;

if (url && csrfToken && typeof navigator.sendBeacon === "function") {
  let counted = 0; // milliseconds of visible time not yet reported
  let visibleSince = document.visibilityState === "visible" ? performance.now() : null;

  const pause = () => {
    if (visibleSince !== null) {
      counted += performance.now() - visibleSince;
      visibleSince = null;
    }
  };

  const report = () => {
    pause();
    const seconds = Math.min(Math.round(counted / 1000), MAX_SECONDS_PER_REPORT);
    if (seconds < 1) {
      return;
    }
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken);
    data.append("seconds", String(seconds));
    if (navigator.sendBeacon(url, data)) {
      counted = 0;
    }
  };

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      report();
    } else if (visibleSince === null) {
      visibleSince = performance.now();
    }
  });
  window.addEventListener("pagehide", report);
  // Back to the page from the back/forward cache: count again from now.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && document.visibilityState === "visible" && visibleSince === null) {
      visibleSince = performance.now();
    }
  });
}
