import type { LocaleCopy } from './locale-copy.js';

const CARRIER = '<% if (it.carrier) { %><%= it.carrier %><% } else { %>Le transporteur<% } %>';

/** French, addressing the customer as « vous ». */
export const fr: LocaleCopy = {
  milestones: {
    order_confirmed: {
      subject: 'Commande <%= it.order %> confirmée',
      heading: 'Merci pour votre commande !',
      body: 'Nous avons bien reçu votre commande <%= it.order %> et nous la préparons. Nous vous préviendrons dès son expédition.',
      sms: 'votre commande <%= it.order %> est confirmée.',
    },
    order_cancelled: {
      subject: 'Votre commande <%= it.order %> a été annulée',
      heading: 'Votre commande a été annulée',
      body: 'Votre commande <%= it.order %> chez <%= it.store %> a été annulée. Si vous ne vous y attendiez pas ou si vous avez des questions, contactez-nous.',
      sms: 'votre commande <%= it.order %> a été annulée.',
    },
    shipped: {
      subject: 'Votre commande <%= it.order %> est en route',
      heading: 'Votre commande a été expédiée',
      body: 'Bonne nouvelle : votre commande <%= it.order %> a été expédiée<% if (it.carrier) { %> avec <%= it.carrier %><% } %>.<% if (it.edd) { %> Livraison estimée : <%= it.edd %>.<% } %>',
      sms: 'commande <%= it.order %> expédiée<% if (it.eddShort) { %>, livraison le <%= it.eddShort %><% } %>.',
    },
    in_transit: {
      subject: 'Votre commande <%= it.order %> est en transit',
      heading: 'Votre colis est en route',
      body: `${CARRIER} a pris en charge votre colis de la commande <%= it.order %>, qui est maintenant en route vers vous.<% if (it.edd) { %> Livraison estimée : <%= it.edd %>.<% } %>`,
      sms: 'commande <%= it.order %> en route<% if (it.eddShort) { %>, livraison le <%= it.eddShort %><% } %>.',
    },
    out_for_delivery: {
      subject: 'Votre commande <%= it.order %> est en cours de livraison',
      heading:
        "<% if (it.attempt > 1) { %>Nouvelle tentative de livraison aujourd'hui<% } else { %>Livraison aujourd'hui<% } %>",
      body: "<% if (it.attempt > 1) { %>Le transporteur va de nouveau tenter de livrer votre colis de la commande <%= it.order %> aujourd'hui.<% } else { %>Votre colis de la commande <%= it.order %> est en cours de livraison et devrait arriver aujourd'hui.<% } %>",
      sms: "votre commande <%= it.order %> sera livrée aujourd'hui.",
    },
    available_for_pickup: {
      subject: 'Votre commande <%= it.order %> est disponible au point de retrait',
      heading: 'Disponible au point de retrait',
      body: "Votre colis de la commande <%= it.order %> vous attend au point de retrait. Pensez à le retirer rapidement : les colis non retirés à temps sont renvoyés à l'expéditeur. Munissez-vous de votre numéro de suivi et d'une pièce d'identité.",
      sms: 'votre commande <%= it.order %> vous attend en point relais.',
    },
    attempt_failed: {
      subject: 'Échec de la livraison de votre commande <%= it.order %>',
      heading: 'Tentative de livraison infructueuse',
      body: `${CARRIER} n'a pas pu livrer votre colis de la commande <%= it.order %><% if (it.attempt > 1) { %> (tentative <%= it.attempt %>)<% } %>. Voici ce qui s'est passé et la suite.`,
      sms: 'échec de livraison de votre commande <%= it.order %>.',
    },
    delivered: {
      subject: 'Votre commande <%= it.order %> a été livrée',
      heading: 'Livrée !',
      body: "Votre colis de la commande <%= it.order %> a été livré. Nous espérons qu'il vous plaira ! Si quelque chose ne va pas, dites-le-nous.",
      sms: 'votre commande <%= it.order %> a été livrée.',
    },
    exception: {
      subject: 'Information sur la livraison de votre commande <%= it.order %>',
      heading: 'Un problème est survenu avec votre livraison',
      body: `${CARRIER} a signalé un incident concernant votre colis de la commande <%= it.order %>. Nous suivons la situation de près.`,
      sms: 'incident de livraison sur votre commande <%= it.order %>.',
    },
    return_to_sender: {
      subject: 'Votre commande <%= it.order %> nous est retournée',
      heading: 'Votre colis revient vers nous',
      body: "Votre colis de la commande <%= it.order %> n'a pas pu être livré et nous est retourné. Contactez-nous pour que nous trouvions une solution.",
      sms: 'votre commande <%= it.order %> nous est retournée.',
    },
    all_delivered: {
      subject: 'Toute votre commande <%= it.order %> a été livrée',
      heading: 'Tous les colis ont été livrés',
      body: 'Tous les colis de votre commande <%= it.order %> ont maintenant été livrés. Nous espérons que votre achat vous plaira !',
      sms: 'tous les colis de la commande <%= it.order %> sont livrés.',
    },
    fulfillment_delayed: {
      subject: 'Votre commande <%= it.order %> prend un peu de retard',
      heading: 'Votre commande prend plus de temps que prévu',
      body: "Nous sommes désolés : l'expédition de votre commande <%= it.order %> prend plus de temps que d'habitude. Nous nous en occupons et vous préviendrons dès qu'elle sera en route.",
      sms: 'votre commande <%= it.order %> prend du retard, désolés.',
    },
    stalled_in_transit: {
      subject: 'Des nouvelles de votre commande <%= it.order %>',
      heading: 'Votre colis met plus de temps que prévu',
      body: "Le suivi de votre colis de la commande <%= it.order %> n'a pas été mis à jour<% if (it.carrier) { %> par <%= it.carrier %><% } %> depuis quelques jours. Cela arrive en période chargée. Nous le surveillons et vous informerons de tout changement.",
      sms: "votre commande <%= it.order %> n'a pas de suivi récent.",
    },
    predicted_late: {
      subject: 'Votre commande <%= it.order %> pourrait arriver en retard',
      heading: 'Votre livraison pourrait être retardée',
      body: "Votre colis de la commande <%= it.order %> a pris du retard.<% if (it.edd) { %> Il est désormais attendu le <%= it.edd %>.<% } %> Nous sommes désolés pour l'attente.",
      sms: 'commande <%= it.order %> retardée<% if (it.eddShort) { %>, livraison le <%= it.eddShort %><% } %>.',
    },
    arriving_today: {
      subject: "Votre commande <%= it.order %> arrive aujourd'hui",
      heading: "Livraison aujourd'hui",
      body: "Votre colis de la commande <%= it.order %> devrait être livré aujourd'hui.",
      sms: "votre commande <%= it.order %> arrive aujourd'hui.",
    },
  },
  layout: {
    greeting: '<% if (it.customer) { %>Bonjour <%= it.customer %>,<% } else { %>Bonjour,<% } %>',
    orderNumber: 'Commande',
    carrier: 'Transporteur',
    trackingNumber: 'Numéro de suivi',
    estimatedDelivery: 'Livraison estimée',
    trackButton: 'Suivre ma commande',
    linkFallback: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :',
    needHelp: "Besoin d'aide ?",
    helpCentre: "Centre d'aide",
    footer: 'Vous recevez cet e-mail car vous avez passé commande chez <%= it.store %>.',
    unsubscribe: 'Se désabonner de ces e-mails',
    labelSeparator: ' : ',
  },
  journeySteps: {
    ordered: 'Commande passée',
    processing: 'En préparation',
    shipped: 'Expédiée',
    in_transit: 'En transit',
    out_for_delivery: 'En cours de livraison',
    delivered: 'Livrée',
    ready_for_pickup: 'Disponible au retrait',
    picked_up: 'Retirée',
    return_to_sender: "Retour à l'expéditeur",
    returned: "Retournée à l'expéditeur",
    cancelled: 'Annulée',
  },
  problems: {
    'journey.problem.attempt_failed':
      'Le transporteur a tenté de livrer votre colis, sans succès. Il fera une nouvelle tentative ou laissera des instructions.',
    'journey.problem.recipient_unavailable':
      "Le transporteur a tenté de livrer votre colis, mais personne n'était disponible. Il fera une nouvelle tentative ou laissera des instructions.",
    'journey.problem.business_closed':
      "Le transporteur a tenté de livrer votre colis, mais l'établissement était fermé.",
    'journey.problem.notice_left':
      'Le transporteur a tenté de livrer votre colis et a laissé un avis de passage avec des instructions.',
    'journey.problem.location_inaccessible': "Le transporteur n'a pas pu accéder à l'adresse de livraison.",
    'journey.problem.id_verification_failed': "Le transporteur n'a pas pu vérifier l'identité du destinataire.",
    'journey.problem.reschedule_required': "Veuillez convenir d'une nouvelle livraison avec le transporteur.",
    'journey.problem.payment_due': 'Un paiement (droits ou frais) est dû avant que votre colis puisse être livré.',
    'journey.problem.address_issue':
      "Le transporteur rencontre un problème avec l'adresse de livraison. Veuillez la vérifier auprès du transporteur ou de la boutique.",
    'journey.problem.refused': 'Le colis a été refusé à la livraison.',
    'journey.problem.security_or_fee_issue':
      'Le transporteur retient votre colis pour un contrôle de sécurité ou des frais à régler.',
    'journey.problem.exception': "Un problème est survenu avec votre livraison. Le transporteur s'en occupe.",
    'journey.problem.delayed': 'Votre colis est retardé.',
    'journey.problem.delayed_weather': 'Votre colis est retardé en raison des intempéries.',
    'journey.problem.delayed_carrier_processing': 'Votre colis est retardé chez le transporteur.',
    'journey.problem.customs_hold': 'Votre colis est retenu en douane.',
    'journey.problem.customs_info_required':
      "La douane a besoin d'informations supplémentaires pour libérer votre colis. Veuillez contacter le transporteur.",
    'journey.problem.shipper_data_issue': "Le transporteur a besoin de précisions de la part de l'expéditeur.",
    'journey.problem.held_by_carrier': 'Le transporteur retient votre colis.',
    'journey.problem.recipient_moved': 'Le transporteur indique que le destinataire a déménagé.',
    'journey.problem.recipient_not_found': "Le transporteur n'a pas trouvé le destinataire.",
    'journey.problem.unclaimed': "Votre colis attend d'être retiré. Il sera renvoyé s'il n'est pas retiré.",
    'journey.problem.rejected_by_carrier':
      "Le transporteur n'a pas pu accepter votre colis. Veuillez contacter la boutique.",
    'journey.problem.damaged': 'Votre colis a été endommagé pendant le transport. Veuillez contacter la boutique.',
    'journey.problem.failure': 'Votre colis ne peut pas être livré. Veuillez contacter la boutique.',
    'journey.problem.lost': 'Le transporteur indique que votre colis est perdu. Veuillez contacter la boutique.',
    'journey.problem.return_to_sender':
      "Votre colis est en cours de retour à l'expéditeur. Veuillez contacter la boutique.",
    'journey.problem.returned': "Votre colis a été retourné à l'expéditeur. Veuillez contacter la boutique.",
    'journey.problem.expired':
      "Le transporteur n'a pas donné de nouvelles depuis un moment. Veuillez contacter le transporteur ou la boutique.",
    'journey.problem.several_parcels':
      'Certains de vos colis nécessitent votre attention. Consultez chaque colis ci-dessous.',
  },
};
