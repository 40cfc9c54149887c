/** Interface text for the support pages and the resource library (`support.*`, `resources.*`, `emails.*`). */
export const supportMessages = {
  caption: 'Support',
  nav: 'Support',
};
