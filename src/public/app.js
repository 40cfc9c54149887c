// Every page: GOV.UK Frontend's components (the inline script in the template has already added js-enabled).
import { initAll } from '/assets/govuk-frontend.min.js';

initAll();
