# Pedidos de suporte: o formulário, as páginas de quem pede e a fila da equipe.

support-intro = Peça ajuda à equipe com qualquer coisa no { $site }. Cada pedido recebe um número, e respondemos por e-mail.
support-log-in-first = Tem uma conta? <a href="/users/login">Entre</a> primeiro para manter seus pedidos juntos.
support-report-hint = Para denunciar uma conta, use “Denunciar” no canal ou no perfil dela.
support-email = Seu endereço de e-mail
support-about = Sobre o que é?
support-choose-topic = Escolha um assunto
support-category-account = Minha conta ou o login
support-subject = Assunto
support-message = Sua mensagem
support-send = Enviar pedido
support-received = Pedido nº { $id } recebido
support-sent-signed-in = Obrigado. Enviamos uma confirmação para { $email }, e você pode acompanhar o pedido no site.
support-see = Ver seu pedido
support-new = Novo pedido
support-none = Você ainda não pediu suporte.
support-updated = atualizado { $when }
support-all = Todos os seus pedidos
support-status-line = Situação: <strong data-testid="ticket-status">{ $status }</strong>
support-add = Complementar seu pedido
support-closed-hint = Este pedido está fechado; enviar uma mensagem o reabre.
support-note = nota para a equipe
support-pages = Páginas de pedidos
pager-previous = Anterior
pager-page = Página { $number }
pager-next = Próxima
support-intro-signed-in = Peça ajuda à equipe com qualquer coisa no { $site }. Cada pedido recebe um número, e respondemos por e-mail no endereço da sua conta.
support-category-payments = Pagamentos, assinaturas ou repasses
support-category-streaming = Transmitir e entrar ao vivo
support-category-technical = Algo no site não funciona
support-category-safety = Segurança, assédio ou abuso
support-category-other = Outra coisa
support-status-open = Aberto: aguardando a equipe
support-status-answered = Respondido
support-status-closed = Fechado
support-status-unknown = Desconhecido
support-sent-link = Obrigado. Enviamos uma confirmação para { $email } com um link privado para acompanhar o pedido e ler nossas respostas.
support-filed = enviado { $when }
support-request-title = Pedido de suporte nº { $id }
