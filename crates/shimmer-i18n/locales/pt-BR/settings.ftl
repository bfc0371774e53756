# Preferências e páginas de configurações.

title-preferences = Preferências
preferences-signed-out = Você não entrou na sua conta: estas preferências ficam guardadas só neste navegador.
preferences-theme = Tema
preferences-timestamps = Mostrar o horário ao lado das mensagens do chat
preferences-mature = Mostrar canais adultos sem perguntar antes
preferences-color = Cor do nome no chat
preferences-color-account = A da minha conta ({ $color })
preferences-color-help = Todas as cores ficam legíveis no tema claro e no escuro.
preferences-save = Salvar preferências
color-red = Vermelho
color-orange = Laranja
color-amber = Âmbar
color-olive = Oliva
color-green = Verde
color-teal = Verde-azulado
color-cyan = Ciano
color-blue = Azul
color-indigo = Índigo
color-purple = Roxo
color-magenta = Magenta
color-pink = Rosa

## O menu de configurações

settings-menu = Menu de configurações
settings-channel = Canal
settings-stream-key = Chave de transmissão
settings-poster = Capa
settings-chat = Chat
settings-moderators = Moderadores
settings-dashboard = Painel
settings-account = Conta
settings-security = Segurança
settings-developer = Desenvolvimento
settings-developer-apps = Meus aplicativos
settings-payouts = Repasses
settings-subscriptions = Assinaturas

## Configurações do canal

settings-channel-address = Seu canal fica em <a href="/{ $username }">/{ $username }</a>.
settings-stream-title = Título da live
settings-subcategory-help = (um jogo, estilo ou tema: escolha um ou digite um novo)
settings-tags-help = (até 10, de 2 a 18 letras, números, espaços, - ou :)
settings-tags-commas = Separe as tags com vírgulas. As sugestões vêm da categoria escolhida.
settings-mature = Conteúdo adulto (os espectadores são avisados antes de a live tocar)
settings-hide-viewers = Ocultar o número de espectadores na página do meu canal
settings-auto-host = Hospedagem automática
settings-auto-host-example = Nomes de usuário separados por vírgulas, por exemplo: ana, bob
settings-save-channel = Salvar canal
settings-auto-host-help = (até 5 canais, o preferido primeiro: enquanto você está offline, sua página toca o primeiro deles que estiver ao vivo)

## Chave de transmissão

stream-confirm-first = Confirme seu e-mail antes de transmitir: o servidor recusa transmissões de contas não confirmadas. <a href="/users/settings/security">Reenviar o e-mail de confirmação</a>.
stream-keep-secret = Mantenha sua chave em segredo: qualquer pessoa com ela pode transmitir no seu canal.
stream-connect = Conecte seu codificador
stream-rtmp = RTMP (OBS, ffmpeg, vMix, codificadores de hardware)
stream-rtmp-url = <code data-testid="rtmp-url">rtmp://{ $host }:{ $port }/live</code> com sua chave de transmissão como chave.
stream-whip = WHIP (OBS 30 ou mais recente, navegadores)
stream-whip-url = <code data-testid="whip-url">{ $url }</code> com sua chave de transmissão como token de portador.
stream-ftl = Host <code>{ $host }</code>, porta { $port }, com sua chave de transmissão.
stream-obs-rtmp = No OBS: Configurações → Transmissão, serviço "Personalizado…", cole o servidor RTMP e a chave. Depois, Configurações → Saída (Avançado): intervalo de quadro-chave 2 s, perfil main e, para x264, o ajuste "zerolatency" (quadros B em 0): os players WebRTC dos navegadores não conseguem reordenar quadros B.
stream-obs-whip = WHIP no OBS 30 ou mais recente: Configurações → Transmissão, serviço "WHIP", Servidor: a URL do WHIP acima, Token de portador: sua chave de transmissão. O vídeo é H.264 (x264 com o ajuste "zerolatency", quadro-chave a cada 2 s) e o áudio Opus: o padrão do OBS para WHIP.
stream-your-key = Sua chave de transmissão
stream-copy = Copiar
stream-rotate-text = Trocar cria uma nova chave na hora. A antiga deixa de funcionar para novas conexões.
stream-rotate = Trocar a chave
stream-test = Teste sua configuração:
stream-or-whip = ou via WHIP:

## Segurança

security-email-confirmed = Seu endereço é <strong>{ $email }</strong> (confirmado).
security-resend = Enviar o e-mail de confirmação de novo
security-new-email = Novo e-mail
security-change-email = Mudar e-mail
security-change-password = Mudar senha
security-logs-out = Mudar a senha ou o e-mail desconecta você de todos os outros lugares.
security-sessions = Onde você está conectado
security-this-browser = (este navegador)
security-email-unconfirmed = Seu endereço é <strong>{ $email }</strong> (<span class="warning-text">ainda não confirmado</span>).
security-remembered = lembrado
security-last-active = Última atividade: { $when }

## Configurações do chat

chat-settings-intro = Regras que toda mensagem do seu chat precisa cumprir. Você, seus moderadores e a equipe ficam isentos das regras de acesso.
chat-settings-age = Idade mínima da conta para conversar (horas, 0–720)
chat-settings-slow = Modo lento: segundos entre as mensagens de uma mesma pessoa (0 = desativado)
chat-settings-email = Exigir e-mail confirmado para conversar
chat-settings-block-links = Recusar mensagens com links
chat-settings-clickable = Deixar os links do chat clicáveis (senão aparecem como texto)
chat-settings-recent = Mostrar só a última hora do chat para quem chega
chat-settings-subscribers = Só assinantes podem conversar (e os moderadores)
chat-settings-raids = Deixar outros streamers fazerem raids neste canal (mandar os espectadores deles para cá com /raid)
chat-settings-save = Salvar configurações do chat

## Moderadores

moderators-intro = Os moderadores agem pelo chat (clicando em um nome) e pela <a href="/{ $username }/moderation">página de moderação</a> do seu canal. Escolha o que cada um pode fazer.
moderators-add-heading = Adicionar um moderador
moderators-may = Pode
moderators-may-short = suspender por 5 minutos
moderators-may-long = suspender por 15 minutos
moderators-may-ban = banir
moderators-may-unban = desbanir
moderators-may-delete = excluir mensagens
moderators-may-edit = editar o título e as tags da live (editor)
moderators-add = Adicionar moderador
moderators-yours = Seus moderadores
moderators-none = Nenhum moderador ainda.
moderators-short = suspensões de 5 minutos
moderators-long = suspensões de 15 minutos
moderators-bans = banimentos
moderators-unbans = desbanimentos
moderators-deleting = exclusão de mensagens
moderators-editing = edição de título e tags

## Capa

poster-intro = Sua capa aparece no player em <a href="/{ $username }">/{ $username }</a> enquanto você está offline e no card do seu canal. JPEG ou PNG, com pelo menos 160×90 e no máximo 4096×4096 pixels, até 4 MB; ela é cortada em 16:9.
poster-current = Sua capa atual
poster-none = Você ainda não tem capa; offline, seu canal mostra uma imagem simples.
poster-image = Imagem
poster-upload = Enviar capa
poster-remove = Remover capa

## Configurações do perfil

profile-settings-see = Ver seu perfil público
profile-settings-avatar = Foto de perfil
profile-settings-your-avatar = Sua foto de perfil
profile-settings-image = Imagem (PNG, JPEG ou GIF, até 2 MB)
profile-settings-upload = Enviar foto
profile-settings-about = Sobre você
profile-settings-display-name = Nome de exibição
profile-settings-display-help = Como seu nome aparece. Ele só pode ser diferente do seu nome de usuário <strong>{ $username }</strong> em letras maiúsculas e minúsculas.
profile-settings-pronouns = Pronomes
profile-settings-pronouns-example = ela/dela, ele/dele, …
profile-settings-bio = Biografia (Markdown)
profile-settings-live-message = Mensagem mostrada no seu perfil enquanto você está ao vivo
profile-settings-youtube = Vídeo de apresentação do YouTube (link ou id)
profile-settings-links = Links
profile-settings-save = Salvar perfil

## Painéis de informações

settings-panels = Painéis de informações
panels-intro = Os painéis aparecem abaixo do player em <a href="/{ $username }">/{ $username }</a>: sua agenda, links, regras. Até { $max } painéis, cada um com um título de até { $title_max } caracteres e até { $body_max } caracteres de Markdown (<strong>**negrito**</strong>, <em>*itálico*</em>, listas e links como <code>[meu site](https://example.com)</code>; HTML aparece do jeito que foi digitado).
panels-new = Novo painel
panels-text = Texto
panels-place = Posição
panels-remove = Remover este painel
panels-full = Você tem { $max } painéis, o máximo que um canal pode mostrar. Remova um para adicionar outro.
panels-save = Salvar painéis
panels-number = Painel { $number }

## Aplicativos autorizados

authorizations-intro = Aplicativos que você autorizou a usar sua conta. Revogar encerra o acesso deles na hora.
authorizations-none = Você não autorizou nenhum aplicativo.
authorizations-last = Última autorização em { $when }.
authorizations-revoke = Revogar
authorizations-can = Pode:
scope-public = Ver seu perfil público e as informações do seu canal
scope-email = Ver seu endereço de e-mail
scope-chat = Enviar mensagens e moderar chats em seu nome
scope-streamkey = Ver sua chave de transmissão
scope-follow = Seguir e deixar de seguir canais em seu nome
scope-stream_info = Mudar o título e a categoria da sua live
scope-staff = Usar suas ferramentas de equipe em seu nome: consultar contas e seus dados privados (cada consulta fica no log de auditoria)

## Autorizar um aplicativo

oauth-title = Autorizar { $app }
oauth-made-by = Feito por { $owner }
oauth-wants = <strong>{ $app }</strong> quer usar sua conta <strong>{ $account }</strong> para:
oauth-after = Depois de responder, você será levado para <strong>{ $host }</strong>. Você pode revogar o acesso a qualquer momento em Configurações → Aplicativos autorizados.
oauth-authorize = Autorizar
oauth-deny = Negar

## Emotes

emotes-intro = Os emotes do canal levam o prefixo de cinco caracteres do seu canal. A equipe analisa cada um antes que possa ser usado. PNG ou GIF, quadrados, de 28 a 512 pixels; estáticos até 256 KB, animados até 1 MB.
emotes-prefix-heading = Prefixo
emotes-prefix = Prefixo dos emotes (5 letras ou números)
emotes-save-prefix = Salvar prefixo
emotes-upload-heading = Enviar um emote
emotes-name = Nome depois do prefixo
emotes-yours = Seus emotes
emotes-none = Nenhum emote ainda.
emotes-subscribers-only-mark = só para assinantes
emotes-let-everyone = Liberar para todos
emotes-subscribers-only = Só para assinantes
emotes-status-pending = aguardando análise
emotes-status-approved = aprovado
emotes-status-rejected = recusado
emotes-too-large = Esse arquivo é grande demais: emotes têm no máximo 1 MB.
emotes-choose-review = Escolha aprovar ou recusar.

## Meus aplicativos

apps-intro = Os aplicativos usam a API em nome das pessoas que os autorizam (OAuth2), ou por conta própria com o id de cliente e o segredo.
apps-none = Você ainda não tem aplicativos.
apps-ingest = Ingestão
apps-new = Novo aplicativo
apps-create = Criar aplicativo
apps-ingest-notice = Esta é a credencial de ingestão: os tokens client_credentials dela podem iniciar e encerrar transmissões e ler chaves de transmissão. Guarde o segredo dela só nos servidores de ingestão.
apps-client-id = Id de cliente
apps-secret-once = Segredo do cliente (mostrado só desta vez)
apps-created = Criado em { $when }. Endpoint de tokens: <code>/api/oauth/token</code>; autorização: <code>/oauth/authorize</code>.
apps-details = Dados
apps-logo = Logotipo
apps-logo-help = PNG, JPEG ou GIF, até 1024×1024 pixels e 512 KB
apps-upload-logo = Enviar logotipo
apps-secret = Segredo do cliente
apps-rotate-text = Trocar cria um novo segredo na hora; o antigo deixa de funcionar. Os tokens já emitidos continuam funcionando.
apps-rotate = Trocar o segredo
apps-delete-link = Excluir o aplicativo…
apps-name = Nome
apps-description = Descrição (opcional)
apps-homepage = Página inicial (opcional)
apps-redirects = URIs de redirecionamento, uma por linha
apps-redirects-help = HTTPS é obrigatório, exceto para este computador: http://127.0.0.1, http://localhost e http://[::1] (qualquer porta).
apps-delete-heading = Excluir { $app }?
apps-delete-text = Excluir o aplicativo revoga todos os tokens emitidos para ele, para todas as pessoas que o autorizaram. Isso não pode ser desfeito.
apps-delete-type = Digite <strong>{ $app }</strong> para confirmar
apps-delete = Excluir o aplicativo
apps-logo-too-large = Esse arquivo é grande demais: logotipos têm no máximo 512 KB.
apps-delete-title = Excluir { $app }
apps-delete-confirm-refused = Digite o nome exato do aplicativo para confirmar a exclusão.

## Channel settings: chat background
settings-chat-background = Fundo do chat
settings-chat-background-help = Uma imagem JPEG ou PNG de no máximo 4 MB e pelo menos 160×90 pixels, exibida atrás do seu chat na página do seu canal e no chat destacado (nunca na sobreposição transparente). Um véu por cima mantém as mensagens legíveis.
settings-chat-background-current = Seu fundo de chat atual
settings-chat-background-none = Seu chat não tem imagem de fundo.
settings-chat-background-image = Imagem
settings-chat-background-upload = Enviar fundo do chat
settings-chat-background-remove = Remover fundo do chat
chat-background-too-large = Esse arquivo é grande demais: fundos de chat têm no máximo 4 MB.
chat-background-unreadable = Não foi possível ler o envio. Tente novamente.
notice-chat-background-saved = Seu fundo de chat foi salvo.
notice-chat-background-removed = Seu fundo de chat foi removido.
