// Progressive enhancement only: every page works without this file.
// Turns on GOV.UK Frontend's components (Exit this page with Shift x3, error summary focus,
// exclusive checkboxes).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
