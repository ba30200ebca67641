/** A demo person, with what a token needs. */
export interface DemoPerson {
  id: string;
  institutionId: string;
}

/** What the seed produced (or found): the ids needed to mint demo tokens, and how much there is. */
export interface DemoNetworkSummary {
  /** True when this call loaded the demo network; false when the database already had institutions. */
  created: boolean;
  /** A StaffMember with the NETWORK_ADMIN role. */
  networkAdmin: DemoPerson;
  /** The first school's INSTITUTION_ADMIN. */
  institutionAdmin: DemoPerson;
  /** The first school's COORDINATOR. */
  coordinator: DemoPerson;
  /** The first hospital's COORDINATOR. */
  hospitalCoordinator: DemoPerson;
  /** A student of the first school. */
  student: DemoPerson;
  /** A CLINICAL_INSTRUCTOR of the first hospital, with their department. */
  clinicalInstructor: DemoPerson & { departmentId: string };
  schools: { id: string; name: string }[];
  hospitals: { id: string; name: string }[];
  counts: { institutions: number; departments: number; students: number; staff: number; agreements: number };
}
