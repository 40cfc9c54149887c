/**
 * The shape of stored definitions, checked with zod wherever a definition comes in from outside code (JSON
 * columns, imports, seeds). Structure only: `checkForm` (logic.ts) checks the skip logic and options.
 */
import { z } from 'zod';
import { KEY_PATTERN, operators, questionTypes } from './types.ts';

const key = z.string().regex(KEY_PATTERN);

export const conditionSchema = z.object({
  match: z.enum(['all', 'any']),
  clauses: z.array(
    z.object({
      question: key,
      operator: z.enum(operators),
      value: z.union([z.string(), z.array(z.string()), z.number()]).nullish(),
    }),
  ),
});

export const definitionSchema = z.object({
  key,
  type: z.enum(questionTypes),
  text: z.string().trim().min(1).max(500),
  help: z.string().max(1000).nullish(),
  required: z.boolean(),
  options: z
    .array(
      z.object({
        value: key,
        label: z.string().trim().min(1).max(200),
        hint: z.string().max(500).nullish(),
        exclusive: z.boolean().optional(),
      }),
    )
    .nullish(),
  number: z
    .object({
      min: z.number().nullish(),
      max: z.number().nullish(),
      integer: z.boolean().optional(),
      suffix: z.string().max(30).nullish(),
    })
    .nullish(),
  maxLength: z.number().int().min(1).max(20000).nullish(),
  maxBodies: z.number().int().min(1).max(10).nullish(),
  showIf: conditionSchema.nullish(),
});

export const formDefinitionSchema = z.object({
  sections: z.array(
    z.object({
      key,
      title: z.string().trim().min(1).max(200),
      intro: z.string().max(2000).nullish(),
      showIf: conditionSchema.nullish(),
      questions: z.array(definitionSchema),
    }),
  ),
});
