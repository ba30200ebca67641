import { AgreementDepartment } from './agreement-department.entity';
import { CollaborationAgreement } from './collaboration-agreement.entity';
import { Department } from './department.entity';
import { Institution } from './institution.entity';
import { StaffMember } from './staff-member.entity';
import { Student } from './student.entity';

export { AgreementDepartment, CollaborationAgreement, Department, Institution, StaffMember, Student };

/** Every entity of the network database, for the DataSource. */
export const entities = [Institution, Department, Student, StaffMember, CollaborationAgreement, AgreementDepartment];
