/** SQL conditions shared by search and research, so "has a specialty" or "covers a year" means one thing. */

/** "Has this value" for the free-text arrays, case-insensitively (not indexed: specialties use hasSpecialtySql). */
export function arrayHasValueSql(column: string, placeholder: string): string {
  return `lower_elements(${column}) @> ARRAY[lower(${placeholder})]`;
}

/** The row's `years` covers the year: an empty list (files without `years`) means "not stated", as coversYear(). */
export function yearsCoverSql(yearsColumn: string, yearPlaceholder: string): string {
  return `(cardinality(${yearsColumn}) = 0 OR ${yearPlaceholder} = ANY(${yearsColumn}))`;
}

/** The network membership `m` covers the year. */
export function membershipCoversYearSql(yearPlaceholder: string): string {
  return yearsCoverSql('m.years', yearPlaceholder);
}

/** The provider `p` is a hospital: a facility type naming one ("Hospital", "General Acute Care Hospital"). */
export const IS_HOSPITAL_SQL = `EXISTS (SELECT 1 FROM unnest(p.facility_types) AS facility_type WHERE facility_type ILIKE '%hospital%')`;

/**
 * The provider `alias` has this specialty, case-insensitively: `specialty_keys` holds the specialties
 * lower-cased at load (GIN-indexed); `specialties` keeps the carrier's spelling for answers.
 */
export function hasSpecialtySql(alias: string, placeholder: string): string {
  return `${alias}.specialty_keys @> ARRAY[lower(${placeholder})]`;
}
