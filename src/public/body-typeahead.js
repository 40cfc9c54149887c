// The report journey's "which body" page: suggestions as the reporter types, using GOV.UK's accessible
// autocomplete, over the search form that works without JavaScript. Choosing a suggestion chooses that body
// (the page's hidden choice form posts it, as the radios do); pressing Search still shows the full results.
const field = document.querySelector('input[data-body-search]');
const choose = document.querySelector('form[data-body-choose]');

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

if (field && choose && typeof window.accessibleAutocomplete === 'function') {
  const url = field.dataset.bodySearch;
  const searchButton = field.form?.querySelector('button');
  const container = document.createElement('div');
  field.insertAdjacentElement('beforebegin', container);
  let pending;
  window.accessibleAutocomplete({
    element: container,
    id: field.id,
    name: field.name,
    defaultValue: field.value,
    minLength: 2,
    confirmOnBlur: false,
    showNoOptionsFound: true,
    // In the flow of the page, so the suggestions never cover the Search button below.
    displayMenu: 'list',
    inputClasses: 'govuk-input',
    tNoResults: () => field.dataset.noResults,
    tAssistiveHint: () => field.dataset.assistiveHint,
    templates: {
      inputValue: (option) => (option && typeof option === 'object' ? option.name : (option ?? '')),
      suggestion: (option) => escapeHtml(typeof option === 'object' ? option.name : String(option)),
    },
    source(query, populate) {
      pending?.abort();
      pending = new AbortController();
      fetch(`${url}?q=${encodeURIComponent(query)}`, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
        signal: pending.signal,
      })
        .then((response) => (response.ok ? response.json() : { data: [] }))
        .then((body) => populate(body.data))
        .catch((error) => {
          if (error.name !== 'AbortError') populate([]);
        });
    },
    onConfirm(option) {
      if (!option || typeof option !== 'object') return;
      choose.elements.namedItem('bodyId').value = option.id;
      choose.submit();
    },
  });
  field.remove();
  // Pressing Search must not first blur the field: closing the suggestions would move the button away from
  // under the pointer and the press would be lost.
  searchButton?.addEventListener('mousedown', (event) => event.preventDefault());
}
