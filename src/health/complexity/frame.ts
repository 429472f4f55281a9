/**
 * What the walker accumulates for one function while it is inside it. Code that belongs to no
 * reported function (module top level, class field initialisers, static blocks) gets a frame too,
 * whose numbers are dropped, so the walker never has to ask whether it is inside a function.
 */
export class Frame {
  /** ESLint `complexity`: one path to start with, +1 per branch. */
  cyclomatic = 1;
  /** sonarjs `cognitive-complexity`: the function's own increments, nested functions excluded. */
  cognitive = 0;
  /**
   * sonarjs's nesting counter for this function: control-flow structures entered, not functions.
   * It can stay raised after a structure ends, as sonarjs's own counter does (see the walker).
   */
  cognitiveNesting = 0;
  /** Control structures (if, loop, switch, catch) around the current position. */
  depth = 0;
  maxNesting = 0;
  /** Deepest structure inside the current top-level statement of the body. */
  statementNesting = 0;
  bumps = 0;
  /** `&&` `||` `??` seen so far; a condition's count is the difference across it. */
  logicalOperators = 0;
  conditionOperators = 0;
  conditionLine = 0;

  /** A control structure starts at `level` (1 = not inside another one). */
  enterStructure(level: number): void {
    if (level > this.maxNesting) this.maxNesting = level;
    if (level > this.statementNesting) this.statementNesting = level;
  }

  /** Sonar's structural increment: 1, plus 1 per enclosing structure of this function. */
  addStructural(): void {
    this.cognitive += 1 + this.cognitiveNesting;
  }

  noteCondition(operators: number, line: number): void {
    if (operators > this.conditionOperators) {
      this.conditionOperators = operators;
      this.conditionLine = line;
    }
  }
}
