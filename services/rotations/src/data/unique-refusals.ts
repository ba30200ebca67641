import { ConflictError, type UniqueRefusals } from '@medcollab/kit';
import { refusal } from '../domain/refusals';

/** The unique indexes a racing writer could still hit after our own checks, as the refusal a client reads. */
export const uniqueRefusals: UniqueRefusals = {
  placement_student_block_live: () => refusal('ALREADY_PLACED_IN_BLOCK', 'The student already has a placement in this block'),
  rotation_block_name_unique: () => new ConflictError('The school already has a block with this name in this academic year'),
  rotation_requirement_group_unique: () => new ConflictError('This requirement group was just set by someone else; try again'),
  rotation_precedence_unique: () => new ConflictError('This precedence was just set by someone else; try again'),
  rotation_requirement_unique: () => new ConflictError('This requirement was just set by someone else; try again'),
};
