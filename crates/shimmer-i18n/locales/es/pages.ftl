# Las páginas propias del sitio: sus títulos y el aviso en las páginas legales traducidas.

title-copyright-and-dmca = Derechos de autor y DMCA
title-terms-of-service = Condiciones del servicio
title-privacy = Privacidad
title-community-guidelines = Normas de la comunidad
title-faq = Preguntas frecuentes
site-page-english-binding = Esta traducción es solo orientativa; la versión en inglés de esta página es la que vale.
