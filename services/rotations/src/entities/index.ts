import { KnownAgreement, KnownStaff, KnownStudent } from '@medcollab/projections';
import { CalendarToken } from './calendar-token.entity';
import { KnownDepartment, KnownEnrollment, KnownModuleCompletion } from './known.entity';
import { Placement } from './placement.entity';
import { PlacementEvent } from './placement-event.entity';
import { PreferenceWindow } from './preference-window.entity';
import { RotationBlock } from './rotation-block.entity';
import { RotationPreference } from './rotation-preference.entity';
import { RotationPrecedence } from './rotation-precedence.entity';
import { RotationRequirement } from './rotation-requirement.entity';
import { RotationRequirementGroup } from './rotation-requirement-group.entity';
import { SiteCapacity } from './site-capacity.entity';
import { SwapRequest } from './swap-request.entity';

export {
  CalendarToken,
  KnownAgreement,
  KnownDepartment,
  KnownEnrollment,
  KnownModuleCompletion,
  KnownStaff,
  KnownStudent,
  Placement,
  PlacementEvent,
  PreferenceWindow,
  RotationBlock,
  RotationPreference,
  RotationPrecedence,
  RotationRequirement,
  RotationRequirementGroup,
  SiteCapacity,
  SwapRequest,
};

/** Every entity of the rotations database, for the DataSource. */
export const entities = [
  KnownStudent,
  KnownStaff,
  KnownDepartment,
  KnownAgreement,
  KnownEnrollment,
  KnownModuleCompletion,
  RotationBlock,
  SiteCapacity,
  Placement,
  PlacementEvent,
  PreferenceWindow,
  RotationPreference,
  SwapRequest,
  CalendarToken,
  RotationRequirement,
  RotationRequirementGroup,
  RotationPrecedence,
];
