// Shapes of the definitions service (services/definitions: bundles, workflows, ticket_types).

import type { Schema } from '@/types/api';

/** A bundle problem; `line`/`column` locate it inside a custom layout's source. */
export type Problem = Schema<'Problem'>;

export type ValidationReport = Schema<'ValidationReport'>;

export type PublishedVersion = Schema<'PublishedVersion'>;

export type PublishResult = Schema<'PublishResult'>;

export type WorkflowSummary = Schema<'WorkflowSummary'>;

export type VersionSummary = Schema<'WorkflowVersionSummary'>;

export type TaskDefinition = Schema<'TaskRead'>;

export type TransitionDefinition = Schema<'TransitionRead'>;

export type WorkflowVersion = Schema<'WorkflowVersionRead'>;

export type WorkflowDetail = Schema<'WorkflowRead'>;

export type TaskSummary = Schema<'TaskSummary'>;

export type TicketTypeSummary = Schema<'TicketTypeSummary'>;

export type TicketTypeVersion = Schema<'TicketTypeVersionRead'>;

export type TicketTypeVersionSummary = Schema<'TicketTypeVersionSummary'>;

export type TicketTypeDetail = Schema<'TicketTypeRead'>;

export type DryRunRequest = Schema<'DryRunRequest'>;

export type DryRunStep = Schema<'DryRunStep'>;

export type DryRunCondition = DryRunStep['conditions'][number];

export type DryRunResult = Schema<'DryRunResult'>;

/** One value that differs between two versions; `path` is dotted from the item. */
export type ValueChange = Schema<'ValueChange'>;

export type ItemsDiff = Schema<'ItemsDiff'>;

export type WorkflowDiff = Schema<'WorkflowDiff'>;

export type TicketTypeDiff = Schema<'TicketTypeDiff'>;
