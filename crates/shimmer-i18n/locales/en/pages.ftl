# The site's own pages: their titles, and the note on a translated legal page.

title-copyright-and-dmca = Copyright and DMCA
title-terms-of-service = Terms of service
title-privacy = Privacy
title-community-guidelines = Community guidelines
title-faq = FAQ
site-page-english-binding = This translation is for your convenience; the English version of this page is the binding one.
