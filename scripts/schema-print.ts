// `npm run schema:print`: writes the printed, sorted schema to schema.graphql.
import { writeFileSync } from 'node:fs';
import { printedSchema } from '../src/schema/index.ts';

writeFileSync('schema.graphql', printedSchema());
console.log('wrote schema.graphql');
