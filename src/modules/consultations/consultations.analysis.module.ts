/** Consultation analysis and the government response as the app sees them: pages and the JSON API. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerConsultationAnalysisRoutes } from './consultations.analysis.routes.ts';
import { registerConsultationResponseApi } from './consultations.response.api.ts';
import { registerConsultationResponseRoutes } from './consultations.response.routes.ts';

export const consultationAnalysisModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerConsultationAnalysisRoutes(app, deps);
    registerConsultationResponseRoutes(app, deps);
    registerConsultationResponseApi(app, deps);
  },
};
