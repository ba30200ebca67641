import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type Discipline, type OrganSystem } from '../domain/model';

/** An organ-system module of a program (GraphQL `Module`; the class name avoids JavaScript's own "module"). */
@Entity('curriculum_module')
export class CurriculumModule {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'program_id' })
  programId: string;

  /** Unique within the program, compared case-insensitively. */
  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', name: 'organ_system', nullable: true })
  organSystem: OrganSystem | null;

  @Column({ type: 'int' })
  year: number;

  /** Order of creation within the program; modules list by year, then this. */
  @Column({ type: 'int' })
  position: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

/** Hours one discipline contributes to a module (0 allowed, and reported as an integrity issue). */
@Entity('module_discipline')
export class ModuleDiscipline {
  @PrimaryColumn({ type: 'uuid', name: 'module_id' })
  moduleId: string;

  @PrimaryColumn({ type: 'text' })
  discipline: Discipline;

  @Column({ type: 'double precision' })
  hours: number;

  @Column({ type: 'int' })
  position: number;
}

/** "`moduleId` requires `prerequisiteId` first"; both of one program, never forming a cycle. */
@Entity('module_prerequisite')
export class ModulePrerequisite {
  @PrimaryColumn({ type: 'uuid', name: 'module_id' })
  moduleId: string;

  @PrimaryColumn({ type: 'uuid', name: 'prerequisite_id' })
  prerequisiteId: string;
}
