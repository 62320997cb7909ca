export { DEMO_FIGURES, type DemoScript, generateDemo } from "./generate.ts";
export { loadDemo } from "./load.ts";
export { demoRoster, rosterCsv } from "./roster.ts";
