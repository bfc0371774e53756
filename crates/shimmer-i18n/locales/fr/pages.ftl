# Les pages du site : leurs titres, et la note sur les pages juridiques traduites.

title-copyright-and-dmca = Droit d’auteur et DMCA
title-terms-of-service = Conditions d’utilisation
title-privacy = Confidentialité
title-community-guidelines = Règles de la communauté
title-faq = Questions fréquentes
site-page-english-binding = Cette traduction est fournie pour vous faciliter la lecture ; seule la version anglaise de cette page fait foi.
