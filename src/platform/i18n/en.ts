/**
 * English interface text. Plain English, as GOV.UK writes: short sentences, "you", no jargon.
 * Keys are grouped by page or module; the Welsh catalogue (cy.ts) will mirror this shape.
 */
export const en = {
  common: {
    serviceName: 'Covenant Hub',
    dateAtTime: '{date} at {time}',
    continue: 'Continue',
    save: 'Save',
    cancel: 'Cancel',
    back: 'Back',
    yes: 'Yes',
    no: 'No',
    change: 'Change',
    remove: 'Remove',
    errorSummaryTitle: 'There is a problem',
    errorPrefix: 'Error',
    success: 'Success',
    important: 'Important',
    skipToMain: 'Skip to main content',
    phaseBanner: 'This is a new service. Help us improve it by telling us what you think.',
    phaseTag: 'Beta',
    feedback: 'feedback',
    notSet: 'Not set',
  },
  nav: {
    label: 'Menu',
    home: 'Home',
    signIn: 'Sign in',
    signOut: 'Sign out',
    register: 'Create an account',
    account: 'Your account',
    admin: 'Manage users',
    organisations: 'Your organisations',
  },
  footer: {
    accessibility: 'Accessibility statement',
    privacy: 'Privacy notice',
    cookies: 'Cookies',
    support: 'Support links',
    licence: 'All content is available under the {link}, except where otherwise stated',
    licenceName: 'Open Government Licence v3.0',
  },
  home: {
    title: 'Covenant Hub',
    lead: 'The place where charities, community groups and public bodies keep the Civil Society Covenant’s promises visible, report when they are broken, and put things right.',
    whatYouCanDo: 'What you can do here',
    reportTitle: 'Report a problem with a public body',
    reportText:
      'Tell us when a government department, council or other public body has not kept a Covenant commitment. You can keep your identity from the body.',
    readTitle: 'Read the Covenant',
    readText: 'The principles and commitments that government and civil society have agreed.',
    seeTitle: 'See how public bodies are doing',
    seeText: 'Published cases, action plans and scorecards, with nobody identifiable.',
    startNow: 'Create an account',
    signedInAs: 'You are signed in as {name}.',
  },
  pages: {
    accessibility: {
      title: 'Accessibility statement for Covenant Hub',
      intro:
        'This accessibility statement applies to Covenant Hub. We want as many people as possible to be able to use this service. For example, that means you should be able to:',
      items: {
        zoom: 'zoom in up to 400% without the text spilling off the screen',
        keyboard: 'navigate the whole service using just a keyboard',
        screenReader: 'use the service with a screen reader',
        noJs: 'use every part of the service with JavaScript turned off',
      },
      complianceTitle: 'Compliance status',
      compliance:
        'We aim for this service to be fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard. Every page is checked automatically with axe before each release.',
      reportTitle: 'Reporting accessibility problems',
      report:
        'If you find a problem that is not listed on this page or you think we’re not meeting accessibility requirements, contact the Covenant team through the support links in the footer.',
      enforcementTitle: 'Enforcement procedure',
      enforcement:
        'The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you’re not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).',
    },
    privacy: {
      title: 'Privacy notice',
      intro: 'This notice explains what personal data Covenant Hub holds, why, and for how long.',
      whatTitle: 'What we collect',
      what: 'Your name and email address when you create an account; the organisations you belong to and your role in them; what you write in reports, surveys and consultations; and a record of important actions (the audit log).',
      whyTitle: 'Why we use it',
      why: 'To run the service: to route reports to the right people, to let you sign in and to tell you what has happened. We never share an identity you have chosen to withhold from a public body.',
      rightsTitle: 'Your rights',
      rights:
        'You can ask for a copy of your data, ask us to correct it, or ask us to delete it. Anonymised statistics are kept because nobody can be identified from them.',
    },
    cookies: {
      title: 'Cookies',
      intro: 'Cookies are small files saved on your phone, tablet or computer when you visit a website.',
      essentialTitle: 'Essential cookies',
      essential:
        'We only use cookies that the service needs to work. We do not use analytics or advertising cookies, so we do not ask for your consent.',
      tableCaption: 'Cookies we use',
      name: 'Name',
      purpose: 'Purpose',
      expires: 'Expires',
      sessionPurpose: 'Keeps you signed in',
      sessionExpires: 'When you close your browser, or 12 hours after you sign in',
      csrfPurpose: 'Protects your forms from being sent by other websites',
      csrfExpires: 'When you close your browser',
      flashPurpose: 'Shows a message confirming what you just did',
      langPurpose: 'Remembers the language you chose',
      langExpires: '1 year',
    },
  },
  emails: {
    test: {
      subject: 'Test email for {name}',
      body: 'Hello {name},\n\nThis is a test of the email outbox.',
    },
    signature: 'Covenant Hub\n\nThis is an automatic email. Do not reply to it.',
  },
  validation: {
    invalid: 'Check this answer and try again',
  },
  errors: {
    400: {
      title: 'Sorry, there is a problem with your request',
      body: 'Check what you entered and try again.',
    },
    403: {
      title: 'You do not have permission to see this page',
      body: 'If you think you should have access, contact an administrator of your organisation.',
      csrf: 'Your form could not be sent because it was open too long or was sent from another site. Go back, reload the page and try again. Nothing you saved before has been lost.',
    },
    404: {
      title: 'Page not found',
      body: 'If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.',
    },
    413: { title: 'The file or form you sent is too large', body: 'Go back and send something smaller.' },
    422: {
      title: 'Sorry, there is a problem with what you entered',
      body: 'Go back, check your answers and try again.',
    },
    429: {
      title: 'Too many attempts',
      body: 'You have tried this too many times. Wait a few minutes, then try again.',
    },
    500: {
      title: 'Sorry, there is a problem with the service',
      body: 'Try again later. Anything you had already saved has been kept.',
    },
    503: {
      title: 'Sorry, the service is unavailable',
      body: 'The service is not available at the moment. Try again later. Anything you had already saved has been kept.',
    },
    reference: 'If you contact us about this, quote reference {id}.',
    homeLink: 'Go to the Covenant Hub homepage',
  },
} as const;
