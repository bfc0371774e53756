# As páginas do próprio site: os títulos e o aviso nas páginas jurídicas traduzidas.

title-copyright-and-dmca = Direitos autorais e DMCA
title-terms-of-service = Termos de uso
title-privacy = Privacidade
title-community-guidelines = Diretrizes da comunidade
title-faq = Perguntas frequentes
site-page-english-binding = Esta tradução serve só para facilitar a leitura; a versão em inglês desta página é a que vale.
