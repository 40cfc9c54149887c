/** Small pure statistics shared by modules (annual review, scorecards). */
export { Z_95, differenceInterval, wilsonInterval, type Interval } from './proportions.ts';
export {
  SMALL_CELL_THRESHOLD,
  suppressOneWay,
  suppressTable,
  type CellState,
  type CountTable,
  type SuppressedTable,
} from './suppression.ts';
