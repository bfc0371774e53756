# A página do canal, o player e o aviso antes de conteúdo adulto.

channel-share-live = { $name } está ao vivo no Shimmer: { $title }
channel-share-offline = { $name } transmite no Shimmer: { $title }
channel-hosting = <strong>{ $name }</strong> está offline e hospedando <a href="/{ $href }">{ $host }</a>: { $title }
channel-offline-now = <strong>{ $name }</strong> está offline agora.
channel-offline-autoplay = Esta página começa a tocar sozinha quando a live começar.
channel-watching = Assistindo: <span data-viewer-count data-testid="viewer-count">{ $count }</span>
channel-edit = Editar canal
channel-followers-link = Seguidores: <span data-follower-count>{ $count }</span>
channel-notify = Me avise por e-mail quando { $name } entrar ao vivo
channel-login-to-follow = Entre para seguir
channel-login-to-support = Entre para assinar ou doar
channel-subscribed = Assinante
channel-subscribe = Assinar ({ $price } por mês)
channel-donate = Doar
channel-donation-amount = Valor (de { $min } a { $max })
channel-donation-message = Mensagem para o chat
channel-donation-message-help = (opcional, até 200 caracteres)
channel-continue-payment = Continuar para o pagamento
channel-gift = Dar uma assinatura de presente
channel-gift-recipient = Nome de usuário da pessoa que vai ganhar um mês ({ $price })
channel-edit-stream = Editar informações da live
channel-pop-out = Abrir o chat em outra janela
channel-moderation = Moderação
channel-profile = Perfil
channel-report = Denunciar
mature-title = { $name } (adulto)

## Scripts: botão de seguir, raids e hospedagem, player

js-follow = Seguir
js-unfollow = Deixar de seguir
js-raid-go-now = Ir para { $name } agora
js-raid-go = Ir para { $name }
js-raid-stay = Ficar aqui
js-raid-countdown = { $from } está fazendo uma raid em { $to }! Levando você para lá em { $seconds } s.
js-raid-stayed = { $from } fez uma raid em { $to }. Você ficou aqui.
js-player-offline = { $name } está offline agora.
js-player-offline-unnamed = Este canal está offline agora.
js-player-autoplay = A reprodução começa sozinha quando a live começar.
js-player-tap-unmute = Toque para ativar o som
js-player-mute = Silenciar
js-player-unmute = Ativar som
js-player-volume = Volume
js-player-stats = Estatísticas
js-player-full-screen = Tela cheia
js-player-live = AO VIVO
js-player-reconnecting = Reconectando…
js-player-connecting = Conectando…
js-player-no-webrtc = Este navegador não consegue reproduzir transmissões WebRTC.
js-player-server-answered = O servidor respondeu { $status }.
js-player-restarting = O servidor está reiniciando…
js-player-stream-stopped = A transmissão parou de chegar.
js-player-could-not-start = Não foi possível iniciar a reprodução.
js-player-connection-lost = Conexão perdida.
js-tags-chosen = Tags escolhidas
js-tags-add = Adicionar uma tag
js-tags-remove = Remover a tag { $tag }
js-tags-invalid = “{ $tag }” não é uma tag válida: use de 2 a 18 letras, números, espaços, hifens ou dois-pontos.
js-tags-too-many = Um canal pode ter no máximo { $max } tags.
js-hide = Ocultar
js-show = Mostrar
js-copied = Copiado para a área de transferência.
js-copy-by-hand = Pressione Ctrl+C (ou ⌘C) para copiar a chave selecionada.
channel-about = Sobre { $name }
js-player-compat-title = Modo de compatibilidade: tocar via HLS (alguns segundos a mais de atraso)
js-player-hls-link-title = Copiar o link HLS para o VLC e outros players
js-player-hls-link-label = Copiar o link HLS
js-player-hls-link = Link HLS
js-player-pip = Picture-in-picture
js-player-paused = Pausado
js-player-no-player = Este navegador não consegue reproduzir transmissões WebRTC nem HLS.
js-player-hls-not-loaded = Não foi possível carregar o player HLS.
js-player-copied = Copiado
js-player-hls-prompt = Link HLS para players externos:
js-hls-failed = Não foi possível reproduzir a transmissão HLS.
js-hls-ended = A transmissão terminou.
js-hls-stopped = A transmissão HLS parou.
js-key-space = Espaço
js-shortcut-play = Pausar ou reproduzir
js-shortcut-mute = Silenciar ou ativar o som
js-theatre = Modo cinema
js-shortcut-help = Mostrar estes atalhos
js-shortcut-close = Fechar esta lista
js-shortcuts = Atalhos de teclado

## A página de moderação

moderation-title = Moderação · { $name }
moderation-act = Agir sobre alguém do chat
moderation-action = Ação
moderation-short = Suspender por 5 minutos
moderation-long = Suspender por 15 minutos
moderation-apply = Aplicar
moderation-bans = Banidos e suspensos
moderation-no-bans = Ninguém está banido nem suspenso.
moderation-log = Registro de moderação
moderation-log-empty = Nada ainda.
moderation-when = Quando
moderation-chatter = Participante
moderation-banned = banido
moderation-timed-out-for = suspenso por mais { $minutes } minutos
moderation-deleted-user = usuário excluído
moderation-action-short-timeout = suspensão curta
moderation-action-long-timeout = suspensão longa
moderation-action-ban = banimento
moderation-action-unban = desbanimento
moderation-action-delete-message = mensagem excluída
moderation-action-slow-mode = modo lento
moderation-action-clear-chat = chat limpo
moderation-action-edit-title-and-tags = título e tags editados

## Channel header: uptime and the Share menu
js-channel-live-for = Ao vivo há { $time }
channel-share = Compartilhar
channel-share-options = Compartilhar este canal
channel-share-copy = Copiar link
js-channel-share-copied = Copiado
js-channel-share-copy-failed = Não foi possível copiar. O link é { $url }
channel-share-x = Compartilhar no X (Twitter)
channel-share-reddit = Compartilhar no Reddit
