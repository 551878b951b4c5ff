import { initAll } from "../../wagtailnhsukfrontend/js/nhsuk-frontend-10.4.2.min.js";

initAll();

// Searchable organisation list: a text box filters the options of the select that
// follows it. Without JavaScript the plain select still works (type to jump).
for (const select of document.querySelectorAll("select[data-searchable]")) {
  const group = select.closest(".nhsuk-form-group");
  const wrapper = document.createElement("div");
  wrapper.className = "lms-select-search";
  const label = document.createElement("label");
  label.className = "nhsuk-label nhsuk-label--s";
  label.htmlFor = `${select.id}-search`;
  label.textContent = select.dataset.searchLabel || "Search the list";
  const input = document.createElement("input");
  input.type = "search";
  input.id = `${select.id}-search`;
  input.className = "nhsuk-input nhsuk-u-width-two-thirds";
  input.autocomplete = "off";
  const status = document.createElement("p");
  status.className = "nhsuk-hint nhsuk-u-font-size-16";
  status.id = `${select.id}-search-status`;
  status.setAttribute("role", "status");
  input.setAttribute("aria-describedby", status.id);
  wrapper.append(label, input, status);
  select.before(wrapper);

  const options = Array.from(select.options).filter((option) => option.value !== "");
  input.addEventListener("input", () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    let firstMatch = null;
    for (const option of options) {
      const text = option.textContent.toLowerCase();
      const match = words.every((word) => text.includes(word));
      option.hidden = !match;
      option.disabled = !match && !option.selected;
      if (match) {
        shown += 1;
        firstMatch ??= option;
      }
    }
    if (words.length === 0) {
      status.textContent = "";
    } else if (shown === 1 && firstMatch) {
      firstMatch.selected = true;
      status.textContent = `1 match: ${firstMatch.textContent} is selected.`;
    } else {
      status.textContent = `${shown} organisations match.`;
    }
  });
  group?.classList.add("lms-select-search--enhanced");
}
