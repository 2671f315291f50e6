import type { LocaleCopy } from './locale-copy.js';

const CARRIER = '<% if (it.carrier) { %><%= it.carrier %><% } else { %>El transportista<% } %>';

/** Spanish, addressing the customer as «tú», as most Spanish-language shops do. */
export const es: LocaleCopy = {
  milestones: {
    order_confirmed: {
      subject: 'Pedido <%= it.order %> confirmado',
      heading: '¡Gracias por tu pedido!',
      body: 'Hemos recibido tu pedido <%= it.order %> y ya lo estamos preparando. Te avisaremos en cuanto salga.',
      sms: 'tu pedido <%= it.order %> está confirmado.',
    },
    order_cancelled: {
      subject: 'Tu pedido <%= it.order %> ha sido cancelado',
      heading: 'Tu pedido ha sido cancelado',
      body: 'Tu pedido <%= it.order %> de <%= it.store %> ha sido cancelado. Si no lo esperabas o tienes alguna pregunta, ponte en contacto con nosotros.',
      sms: 'tu pedido <%= it.order %> ha sido cancelado.',
    },
    shipped: {
      subject: 'Tu pedido <%= it.order %> está en camino',
      heading: 'Tu pedido ha sido enviado',
      body: '¡Buenas noticias! Tu pedido <%= it.order %> ha sido enviado<% if (it.carrier) { %> con <%= it.carrier %><% } %>.<% if (it.edd) { %> Entrega estimada: <%= it.edd %>.<% } %>',
      sms: 'tu pedido <%= it.order %> fue enviado<% if (it.eddShort) { %>, llega el <%= it.eddShort %><% } %>.',
    },
    in_transit: {
      subject: 'Tu pedido <%= it.order %> está en tránsito',
      heading: 'Tu paquete va de camino',
      body: `${CARRIER} ya tiene tu paquete del pedido <%= it.order %> y va de camino hacia ti.<% if (it.edd) { %> Entrega estimada: <%= it.edd %>.<% } %>`,
      sms: 'tu pedido <%= it.order %> va en camino<% if (it.eddShort) { %>, llega el <%= it.eddShort %><% } %>.',
    },
    out_for_delivery: {
      subject: 'Tu pedido <%= it.order %> está en reparto',
      heading: '<% if (it.attempt > 1) { %>Nuevo intento de entrega hoy<% } else { %>Tu pedido llega hoy<% } %>',
      body: '<% if (it.attempt > 1) { %>El transportista volverá a intentar entregar hoy tu paquete del pedido <%= it.order %>.<% } else { %>Tu paquete del pedido <%= it.order %> está en reparto y debería llegar hoy.<% } %>',
      sms: 'tu pedido <%= it.order %> está en reparto y llega hoy.',
    },
    available_for_pickup: {
      subject: 'Tu pedido <%= it.order %> está listo para recoger',
      heading: 'Listo para recoger',
      body: 'Tu paquete del pedido <%= it.order %> te espera en el punto de recogida. Recógelo pronto: los paquetes que no se recogen a tiempo se devuelven al remitente. Puede que necesites el número de seguimiento y un documento de identidad.',
      sms: 'tu pedido <%= it.order %> está listo para recoger.',
    },
    attempt_failed: {
      subject: 'Intento de entrega fallido de tu pedido <%= it.order %>',
      heading: 'Intento de entrega sin éxito',
      body: `${CARRIER} no pudo entregar tu paquete del pedido <%= it.order %><% if (it.attempt > 1) { %> (intento <%= it.attempt %>)<% } %>. Aquí tienes lo que pasó y los próximos pasos.`,
      sms: 'no se pudo entregar tu pedido <%= it.order %>.',
    },
    delivered: {
      subject: 'Tu pedido <%= it.order %> ha sido entregado',
      heading: '¡Entregado!',
      body: 'Tu paquete del pedido <%= it.order %> ha sido entregado. ¡Esperamos que lo disfrutes! Si algo no está bien, dínoslo.',
      sms: 'tu pedido <%= it.order %> ha sido entregado. ¡Disfrútalo!',
    },
    exception: {
      subject: 'Novedades sobre la entrega de tu pedido <%= it.order %>',
      heading: 'Hay un problema con tu entrega',
      body: `${CARRIER} ha informado de una incidencia con tu paquete del pedido <%= it.order %>. Lo estamos siguiendo de cerca.`,
      sms: 'incidencia en la entrega de tu pedido <%= it.order %>.',
    },
    return_to_sender: {
      subject: 'Tu pedido <%= it.order %> vuelve a nuestra tienda',
      heading: 'Tu paquete vuelve a nuestra tienda',
      body: 'No se pudo entregar tu paquete del pedido <%= it.order %> y nos lo están devolviendo. Ponte en contacto con nosotros y lo solucionaremos.',
      sms: 'tu pedido <%= it.order %> vuelve a nuestra tienda.',
    },
    all_delivered: {
      subject: 'Todo tu pedido <%= it.order %> ha sido entregado',
      heading: 'Todos los paquetes entregados',
      body: 'Ya se han entregado todos los paquetes de tu pedido <%= it.order %>. ¡Esperamos que disfrutes de tu compra!',
      sms: 'tu pedido <%= it.order %> se ha entregado completo.',
    },
    fulfillment_delayed: {
      subject: 'Tu pedido <%= it.order %> se está retrasando',
      heading: 'Tu pedido tarda más de lo previsto',
      body: 'Lo sentimos: tu pedido <%= it.order %> está tardando más de lo habitual en salir. Estamos en ello y te avisaremos en cuanto esté en camino.',
      sms: 'lo sentimos, tu pedido <%= it.order %> tarda más en salir.',
    },
    stalled_in_transit: {
      subject: 'Novedades sobre tu pedido <%= it.order %>',
      heading: 'Tu paquete está tardando más de lo normal',
      body: 'Tu paquete del pedido <%= it.order %> lleva unos días sin novedades de seguimiento<% if (it.carrier) { %> de <%= it.carrier %><% } %>. A veces ocurre en épocas de mucho volumen. Lo estamos vigilando y te avisaremos de cualquier cambio.',
      sms: 'tu pedido <%= it.order %> lleva días sin actualizarse.',
    },
    predicted_late: {
      subject: 'Tu pedido <%= it.order %> podría llegar más tarde de lo previsto',
      heading: 'Tu entrega podría retrasarse',
      body: 'Tu paquete del pedido <%= it.order %> va con retraso.<% if (it.edd) { %> Ahora se espera el <%= it.edd %>.<% } %> Sentimos la espera.',
      sms: 'tu pedido <%= it.order %> se retrasa<% if (it.eddShort) { %>: llega el <%= it.eddShort %><% } %>.',
    },
    arriving_today: {
      subject: 'Tu pedido <%= it.order %> llega hoy',
      heading: 'Llega hoy',
      body: 'Está previsto que tu paquete del pedido <%= it.order %> se entregue hoy.',
      sms: 'tu pedido <%= it.order %> llega hoy.',
    },
  },
  layout: {
    greeting: '<% if (it.customer) { %>Hola, <%= it.customer %>:<% } else { %>Hola:<% } %>',
    orderNumber: 'Pedido',
    carrier: 'Transportista',
    trackingNumber: 'Número de seguimiento',
    estimatedDelivery: 'Entrega estimada',
    trackButton: 'Seguir mi pedido',
    linkFallback: 'Si el botón no funciona, copia este enlace en tu navegador:',
    needHelp: '¿Necesitas ayuda?',
    helpCentre: 'Centro de ayuda',
    footer: 'Recibes este correo porque hiciste un pedido en <%= it.store %>.',
    unsubscribe: 'Darse de baja de estos correos',
    labelSeparator: ': ',
  },
  journeySteps: {
    ordered: 'Pedido realizado',
    processing: 'En preparación',
    shipped: 'Enviado',
    in_transit: 'En tránsito',
    out_for_delivery: 'En reparto',
    delivered: 'Entregado',
    ready_for_pickup: 'Listo para recoger',
    picked_up: 'Recogido',
    return_to_sender: 'Volviendo al remitente',
    returned: 'Devuelto al remitente',
    cancelled: 'Cancelado',
  },
  problems: {
    'journey.problem.attempt_failed':
      'El transportista intentó entregar tu paquete, pero no pudo. Lo volverá a intentar o dejará instrucciones.',
    'journey.problem.recipient_unavailable':
      'El transportista intentó entregar tu paquete, pero no había nadie. Lo volverá a intentar o dejará instrucciones.',
    'journey.problem.business_closed':
      'El transportista intentó entregar tu paquete, pero el establecimiento estaba cerrado.',
    'journey.problem.notice_left': 'El transportista intentó entregar tu paquete y dejó un aviso con instrucciones.',
    'journey.problem.location_inaccessible': 'El transportista no pudo acceder a la dirección de entrega.',
    'journey.problem.id_verification_failed': 'El transportista no pudo verificar la identidad del destinatario.',
    'journey.problem.reschedule_required': 'Acuerda una nueva entrega con el transportista.',
    'journey.problem.payment_due':
      'Hay un pago pendiente (aranceles o tasas) antes de que se pueda entregar tu paquete.',
    'journey.problem.address_issue':
      'El transportista tiene un problema con la dirección de entrega. Compruébala con el transportista o con la tienda.',
    'journey.problem.refused': 'El paquete fue rechazado en la entrega.',
    'journey.problem.security_or_fee_issue':
      'El transportista retiene tu paquete por un control de seguridad o una tasa pendiente.',
    'journey.problem.exception': 'Hay un problema con tu entrega. El transportista está trabajando en ello.',
    'journey.problem.delayed': 'Tu paquete lleva retraso.',
    'journey.problem.delayed_weather': 'Tu paquete se ha retrasado por el mal tiempo.',
    'journey.problem.delayed_carrier_processing': 'Tu paquete se ha retrasado en las instalaciones del transportista.',
    'journey.problem.customs_hold': 'Tu paquete está retenido en aduanas.',
    'journey.problem.customs_info_required':
      'La aduana necesita más información para liberar tu paquete. Ponte en contacto con el transportista.',
    'journey.problem.shipper_data_issue': 'El transportista necesita más datos del remitente.',
    'journey.problem.held_by_carrier': 'El transportista retiene tu paquete.',
    'journey.problem.recipient_moved': 'El transportista indica que el destinatario se ha mudado.',
    'journey.problem.recipient_not_found': 'El transportista no pudo localizar al destinatario.',
    'journey.problem.unclaimed': 'Tu paquete está esperando a que lo recojas. Se devolverá si no se recoge.',
    'journey.problem.rejected_by_carrier':
      'El transportista no pudo aceptar tu paquete. Ponte en contacto con la tienda.',
    'journey.problem.damaged': 'Tu paquete sufrió daños durante el envío. Ponte en contacto con la tienda.',
    'journey.problem.failure': 'Tu paquete no se puede entregar. Ponte en contacto con la tienda.',
    'journey.problem.lost': 'El transportista indica que tu paquete se ha perdido. Ponte en contacto con la tienda.',
    'journey.problem.return_to_sender': 'Tu paquete está volviendo al remitente. Ponte en contacto con la tienda.',
    'journey.problem.returned': 'Tu paquete fue devuelto al remitente. Ponte en contacto con la tienda.',
    'journey.problem.expired':
      'Hace tiempo que no hay novedades del transportista. Ponte en contacto con el transportista o con la tienda.',
    'journey.problem.several_parcels':
      'Algunos de tus paquetes requieren atención. Consulta cada paquete a continuación.',
  },
};
