/** The migrated database (made by the `hub-postgres` global setup) each test hub's database is a copy of. */
export const TEMPLATE_DATABASE = "hub_template";
