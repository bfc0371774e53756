# Die eigenen Seiten der Website: ihre Titel und der Hinweis auf übersetzten Rechtsseiten.

title-copyright-and-dmca = Urheberrecht und DMCA
title-terms-of-service = Nutzungsbedingungen
title-privacy = Datenschutz
title-community-guidelines = Gemeinschaftsrichtlinien
title-faq = Häufige Fragen
site-page-english-binding = Diese Übersetzung dient nur der Verständlichkeit; verbindlich ist die englische Fassung dieser Seite.
