export type { HotspotEntry, HotspotFunction, HotspotsReport } from '../types.ts';
export { renderHotspotsTable, type TableOptions } from './table.ts';
export { renderHotspotsMarkdown, type MarkdownOptions } from './markdown.ts';
export { renderHotspotsHtml } from './html.ts';
