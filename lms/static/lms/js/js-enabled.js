// Runs before the page paints so that NHS.UK components can hide what JavaScript enhances.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("nhsuk-frontend-supported");
}
