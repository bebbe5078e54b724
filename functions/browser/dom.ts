/** Helpers shared by the pages' scripts. Browser code: bundled into each page, never run by Node. */

/**
 * The element with this id, typed as the caller knows it is (the page's own markup). Like
 * `document.getElementById`, a missing element is null and fails where it is used.
 */
export const $ = <Element extends HTMLElement = HTMLElement>(id: string) =>
  document.getElementById(id) as Element;
