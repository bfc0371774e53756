# O layout de todas as páginas, a página inicial, a busca, a navegação e as páginas de erro.

site-description = Shimmer é um site de transmissões ao vivo que qualquer pessoa pode hospedar: assista a lives, converse com quem faz e comece a transmitir também.

## Cabeçalho e rodapé

nav-skip = Pular para o conteúdo
nav-main = Principal
nav-home = Início
nav-my-channel = Meu canal
nav-settings = Configurações
nav-staff = Equipe
nav-reports = Denúncias
nav-support = Suporte
nav-emotes = Emotes
nav-paydays = Dias de pagamento
nav-payment-events = Eventos de pagamento
nav-log-out = Sair
nav-log-in = Entrar
nav-sign-up = Criar conta
theme-label = Tema de cores
theme-light = Claro
theme-dark = Escuro
theme-auto = Automático
theme-system = Igual ao meu dispositivo
footer-tagline = Shimmer: transmissões ao vivo que você mesmo pode hospedar.
footer-dev-mailbox = Caixa de e-mails de desenvolvimento
footer-about = Sobre este site
footer-terms = Termos
footer-privacy = Privacidade
footer-guidelines = Diretrizes
footer-copyright = Direitos autorais
footer-faq = Perguntas frequentes
footer-support = Falar com o suporte
footer-preferences = Preferências
footer-language = Idioma
footer-language-apply = Mudar idioma

## Palavras comuns

badge-live = Ao vivo
badge-offline = Offline
badge-mature = Adulto
badge-following = Seguindo
button-save = Salvar
button-cancel = Cancelar
button-delete = Excluir
button-remove = Remover
button-upload = Enviar
field-title = Título
field-category = Categoria
field-no-category = Sem categoria
field-subcategory = Subcategoria
field-subcategory-help = (escolha uma ou digite uma nova)
field-tags = Tags
field-tags-help = (até 10, de 2 a 18 caracteres cada)
field-language = Idioma
field-mature = Conteúdo adulto
field-username = Nome de usuário
field-email = E-mail
field-password = Senha
field-optional = (opcional)
yes = Sim
no = Não
none = Nenhum

## Página inicial

title-live-streams = Transmissões ao vivo
home-hero-title = Lives de pessoas criando coisas, agora mesmo
home-hero-text = Assista a arte, música, jogos e conversas enquanto acontecem, converse com quem está transmitindo e siga canais para saber quando entram ao vivo. Shimmer é gratuito e qualquer pessoa pode hospedá-lo.
home-start-streaming = Começar a transmitir
home-find-channel = Encontrar um canal
home-followed-heading = Canais seguidos ao vivo
home-followed-none = Nenhum dos canais que você segue está ao vivo.
home-featured = Canal ao vivo em destaque
home-no-channels = Nenhum canal transmitiu ainda.
home-no-channels-set-up = <a href="/users/settings/stream">Configure sua transmissão</a> para ser o primeiro.
home-no-channels-sign-up = <a href="/users/register">Crie uma conta</a> e seja o primeiro a entrar ao vivo.
home-live-now = Ao vivo agora
home-every-stream = Todas as lives, por idioma
home-recently-live = Ao vivo recentemente
categories-heading = Categorias
card-watching = Assistindo: { $count }
card-watch = Assistir a { $name }
category-live =
    { $count ->
        [0] ninguém ao vivo
       *[other] { $count } ao vivo
    }

## Busca e navegação

search-heading = Buscar
search-browse-heading = Buscar e explorar
search-title = Busca: { $query }
search-description = Busque canais, categorias e tags do Shimmer.
search-label = Buscar canais, categorias e tags
search-placeholder = Buscar canais
search-button = Buscar
search-help = O nome de quem transmite, palavras do título de uma live, uma categoria ou uma tag, até { $max } caracteres. Pequenos erros de digitação não são problema.
search-channels = Canais
search-tags = Tags
search-none = Nada corresponde a “{ $query }”. Confira a ortografia, tente menos palavras ou <a href="/search">explore todas as categorias e canais</a>.
search-more = Mostrando os primeiros { $count } canais. Acrescente uma palavra para refinar a busca.
search-tag-in = em { $category }
streams-category-heading = Lives de { $category }
streams-tagged-heading = { $heading } com a tag { $tag }
streams-none = Ninguém está ao vivo aqui agora.
streams-all = Todas
streams-search = Buscar pessoas e títulos
streams-any-language = Qualquer idioma
streams-find = Encontrar

## As categorias predefinidas

category-art = Arte
category-music = Música
category-tech = Tecnologia
category-irl = IRL
category-education = Educação
category-gaming = Jogos

## Idiomas das lives

language-en = English (inglês)
language-ar = العربية (árabe)
language-da = Dansk (dinamarquês)
language-de = Deutsch (alemão)
language-es = Español (espanhol)
language-fi = Suomi (finlandês)
language-fr = Français (francês)
language-hi = हिन्दी (híndi)
language-it = Italiano (italiano)
language-ja = 日本語 (japonês)
language-ko = 한국어 (coreano)
language-nl = Nederlands (holandês)
language-no = Norsk (norueguês)
language-pl = Polski (polonês)
language-pt = Português
language-ru = Русский (russo)
language-sv = Svenska (sueco)
language-tr = Türkçe (turco)
language-uk = Українська (ucraniano)
language-zh = 中文 (chinês)
language-other = Outro

## Tempos

time-just-now = agora mesmo
time-minutes-ago =
    { $count ->
        [one] há { $count } minuto
       *[other] há { $count } minutos
    }
time-hours-ago =
    { $count ->
        [one] há { $count } hora
       *[other] há { $count } horas
    }
time-days-ago =
    { $count ->
        [one] há { $count } dia
       *[other] há { $count } dias
    }
time-months-ago =
    { $count ->
        [one] há { $count } mês
       *[other] há { $count } meses
    }
time-years-ago =
    { $count ->
        [one] há { $count } ano
       *[other] há { $count } anos
    }

## Erros

error-home-link = Ir para a página inicial
error-not-found = Não há nada neste endereço. Confira o link ou encontre canais na página inicial.
error-too-large = O envio é grande demais.
error-internal = Algo deu errado do nosso lado. Tente novamente daqui a pouco.
error-database = O banco de dados está indisponível. Tente novamente daqui a um minuto.
error-title = Erro

## Avisos após um redirecionamento

notice-logged-in = Que bom ver você de novo! Você entrou.
notice-logged-out = Você saiu da sua conta.
notice-thanks-subscribed = Obrigado pela assinatura! Seu selo aparece no chat assim que o pagamento for confirmado.
notice-thanks-donated = Obrigado pela doação! Ela aparece no chat assim que o pagamento for confirmado.
notice-payday-nothing = Não há nada esperando pagamento: nenhum dia de pagamento foi preparado.
notice-payday-paid = Todas as transferências foram concluídas. Cada streamer recebe um e-mail.
notice-payday-failures = Algumas transferências falharam: veja as linhas abaixo e tente de novo.
notice-thanks-gifted = Obrigado! Seu presente aparece no chat assim que o pagamento for confirmado.
notice-gifts-saved = Sua configuração de presentes foi salva.
notice-button-saved = A configuração do botão Assinar do seu canal foi salva.
notice-emote-saved = A configuração do emote foi salva.
notice-event-replayed = O evento voltou para a fila e será processado em instantes.
notice-profile-saved = Seu perfil foi salvo.
notice-channel-saved = As configurações do seu canal foram salvas.
notice-stream-saved = As informações da live foram salvas.
notice-key-rotated = Sua chave de transmissão foi trocada. Atualize o seu codificador com a nova chave.
notice-password-changed = Sua senha foi alterada. Os outros dispositivos foram desconectados.
notice-confirmation-sent = Enviamos um novo link de confirmação para você.
notice-session-revoked = Esse dispositivo foi desconectado.
notice-chat-saved = As configurações do seu chat foram salvas.
notice-prefix-saved = Seu prefixo de emotes foi salvo.
notice-emote-uploaded = Seu emote foi enviado.
notice-emote-deleted = O emote foi excluído.
notice-emote-reviewed = A revisão foi salva.
notice-moderator-saved = As permissões do moderador foram salvas.
notice-moderator-removed = O moderador foi removido.
notice-moderated = Pronto. A ação está no registro de moderação.
notice-poster-saved = Sua imagem de capa foi salva.
notice-poster-removed = Sua imagem de capa foi removida.
notice-password-reset = Sua senha foi alterada. Entre com a nova senha.
notice-app-saved = Seu aplicativo foi salvo.
notice-logo-saved = O logotipo foi salvo.
notice-app-deleted = O aplicativo e todos os tokens emitidos para ele foram excluídos.
notice-authorization-revoked = O acesso do aplicativo foi revogado.
notice-avatar-saved = Seu avatar foi enviado.
notice-two-factor-disabled = A verificação em duas etapas está desativada.
notice-login-expired = Seu login demorou demais. Digite sua senha novamente.
notice-username-changed = Seu nome de usuário foi alterado.
notice-account-deleted = Sua conta foi excluída.
notice-preferences-saved = Suas preferências foram salvas.
notice-report-updated = A denúncia foi atualizada.
notice-support-sent = Sua mensagem foi adicionada. A equipe responde por e-mail.
notice-staff-done = Pronto. A etapa está registrada no log de auditoria.
notice-signed-up = Boas-vindas ao Shimmer! Você entrou. Enviamos um link para confirmar seu e-mail; abra quando puder.
notice-email-change-sent = Enviamos um link para o novo endereço. Seu e-mail muda quando você abrir o link; até lá, continua o mesmo.
error-theme = Escolha um tema: claro, escuro ou o do sistema.
error-locale = Escolha um dos idiomas oferecidos.
status-400 = Requisição inválida
status-401 = Não autenticado
status-403 = Proibido
status-404 = Não encontrado
status-409 = Conflito
status-410 = Não está mais disponível
status-413 = Grande demais
status-415 = Formato não suportado
status-422 = Não processável
status-429 = Requisições demais
status-500 = Erro no servidor
status-503 = Serviço indisponível

## Títulos das páginas

title-account = Conta
title-audit-log = Log de auditoria
title-authorized-apps = Aplicativos autorizados
title-channel-settings = Configurações do canal
title-chat-settings = Configurações do chat
title-choose-a-new-password = Escolha uma nova senha
title-confirm-your-email = Confirme seu e-mail
title-contact-support = Falar com o suporte
title-dashboard = Painel
title-developer-applications = Meus aplicativos
title-email-confirmed = E-mail confirmado
title-emote-review = Revisão de emotes
title-emotes = Emotes
title-enter-your-code = Digite seu código
title-growth-and-financial-report = Relatório de crescimento e financeiro
title-log-in = Entrar
title-log-in-with-your-link = Entre com o seu link
title-mailbox = Caixa de e-mails
title-moderators = Moderadores
title-paydays = Dias de pagamento
title-payment-events = Eventos de pagamento
title-payouts = Repasses
title-poster = Capa
title-profile-settings = Configurações do perfil
title-recovery-codes = Códigos de recuperação
title-report = Denunciar
title-report-sent = Denúncia enviada
title-reports = Denúncias
title-request-received = Pedido recebido
title-reset-your-password = Redefinir sua senha
title-security-settings = Configurações de segurança
title-sign-up = Criar conta
title-site-analytics = Estatísticas do site
title-staff = Equipe
title-stream-key = Chave de transmissão
title-subscriptions = Assinaturas
title-support-requests = Pedidos de suporte
title-two-factor-sign-in = Verificação em duas etapas
title-unsubscribed = Cancelamento confirmado
title-your-support-requests = Seus pedidos de suporte

## Recusas mostradas nos formulários

error-bad-credentials = Nome de usuário, e-mail ou senha incorretos.
error-unauthenticated = Você precisa entrar primeiro.
error-forbidden = Você não tem permissão para fazer isso.
error-rate-limited = Tentativas demais. Tente de novo em { $seconds } segundos.
error-upload-unreadable = Não foi possível ler o arquivo enviado. Tente de novo.
title-about-panels = Painéis de informações
notice-panels-saved = Seus painéis de informações foram salvos.
site-page-english-only = Esta página só está disponível em inglês.
notice-app-created = Seu aplicativo foi criado. Copie o segredo do cliente agora: ele só aparece uma vez.
notice-secret-rotated = Um novo segredo do cliente foi criado e o antigo não funciona mais. Copie agora: ele só aparece uma vez.
