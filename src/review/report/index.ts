import type { ReviewResult } from '../result.ts';
import { renderReviewMarkdown } from './markdown.ts';
import { renderReviewSarif } from './sarif.ts';
import { renderReviewText } from './text.ts';

export const REVIEW_FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

export function renderReview(review: ReviewResult, format: ReviewFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(review, null, 2)}\n`;
    case 'markdown':
      return renderReviewMarkdown(review);
    case 'sarif':
      return renderReviewSarif(review);
    case 'text':
      return renderReviewText(review);
  }
}
